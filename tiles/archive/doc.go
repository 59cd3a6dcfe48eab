// Package archive writes a renderer's vector tiles into single-file tile
// archives: PMTiles v3 (one file a CDN serves with HTTP range requests, or
// MapLibre opens offline through the pmtiles protocol) and MBTiles 1.3 (an
// SQLite database that QGIS, GDAL and most tile servers read).
//
// Render collects the tiles of a zoom range and box into a Set, which
// keeps each distinct tile content once; WritePMTiles and WriteMBTiles
// write a Set with the Metadata built from the renderer's TileJSON. The
// archived tiles are the bytes the server serves: gzip-compressed MVT,
// identical after decompression to tiles.Renderer.RenderTile's Data.
package archive
