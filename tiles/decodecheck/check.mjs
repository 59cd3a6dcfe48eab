// check.mjs decodes Mapbox Vector Tiles with @mapbox/vector-tile, an
// independent decoder, and prints them as JSON for the Go test
// TestNodeDecoder (tiles/node_test.go) to compare with the source data.
//
// Usage: node tiles/decodecheck/check.mjs FILE.mvt ...
// Output: {"FILE.mvt": [{name, version, extent, features: [{id, type,
// properties, rings, areas, polygons}]}], ...} where rings are the decoded
// geometry parts as [x, y] pairs, areas the MVT 2.1 surveyor's-formula area
// of each part (exterior rings positive) and polygons the number of
// polygons @mapbox/vector-tile's classifyRings finds.
import {readFileSync} from 'node:fs';
import {VectorTile, classifyRings} from '@mapbox/vector-tile';
import {PbfReader} from 'pbf';

function area(ring) {
    let sum = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
        sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
    }
    const last = ring[ring.length - 1];
    sum += last.x * ring[0].y - ring[0].x * last.y;
    return sum / 2;
}

function decodeFile(file) {
    const tile = new VectorTile(new PbfReader(readFileSync(file)));
    const layers = [];
    for (const name of Object.keys(tile.layers)) {
        const layer = tile.layers[name];
        const features = [];
        for (let i = 0; i < layer.length; i++) {
            const f = layer.feature(i);
            const geom = f.loadGeometry();
            features.push({
                id: f.id,
                type: f.type,
                properties: f.properties,
                rings: geom.map((part) => part.map((p) => [p.x, p.y])),
                areas: f.type === 3 ? geom.map(area) : [],
                polygons: f.type === 3 ? classifyRings(geom).length : 0,
            });
        }
        layers.push({name, version: layer.version, extent: layer.extent, features});
    }
    return layers;
}

const out = {};
for (const file of process.argv.slice(2)) {
    out[file] = decodeFile(file);
}
process.stdout.write(JSON.stringify(out));
