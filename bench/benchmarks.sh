# Sourced by bench/run.sh: the Go benchmarks behind each issue's targets.
# gobench PKG REGEXP [BENCHTIME]

# Issue 2: point-in-grid, the generator, the loader, the HTTP handlers in process.
gobench ./geo 'LocateCity|LocateBatchCity|LocateBaselineOrbCity|NewLocatorCity|^BenchmarkNearest$'
gobench ./geo/crs '.'
gobench ./fixtures 'Generate' 3x
gobench ./geo/cityio 'ReadFixture|WriteLayerFixture' 3x
gobench ./server 'LookupHandler|StreamCSV|StreamNDJSON|BatchJSON'

# Issue 3: tiles.
gobench ./tiles 'RenderZ14|CacheHit|RenderTile|NewRenderer|NextVersion(Patched|Whole|Zooms)'
# Issue 12: the next version's tile renderer at scale 10, every zoom patched.
gobench ./tiles 'NextVersion10' 10x
# Issue 12: a burst of 20 versions at scale 10, none prepared, then the first tiles of the newest
# (Burst50, the same at scale 50, is run by hand).
gobench ./tiles 'NextVersionBurst10' 3x
gobench ./tiles 'RenderCityAll' 1x

# Issue 4: walking reach, circles, coverage, suggestion (scale 1 and 10).
gobench ./geo/walk 'StationReach15|StationCircle15|StationCircleBands|Coverage15|WhatIfCircle15|Suggest5'

# Issue 5: address-to-grid.
gobench ./geo/address 'Geocode$|GeocodeBatch|NewIndex|Normalize'

# Issue 6: edits, re-coding, restart.
gobench ./server 'CommitHandler|RecodeHandler' 20x
gobench ./geo/edit 'RedrawGrid|SplitGrid|RecodeCommunity'
# Issue 13: a 200,000-vertex replace (the most an op may hold), validated.
gobench ./geo/edit 'DenseReplace' 3x
gobench ./geo/store/bolt 'OpenAfter10kChangesets|Append$' 3x

# Issue 12: memory and restart: reopening a store (the base checkpoint
# decoded, heap held; at scale 10 with its snapshot, what a restart does
# before /readyz), the address index's heap and reverse geocoding.
gobench ./geo/store/bolt 'ReopenCity|RestartScale10' 3x
gobench ./geo/address 'Reverse'
# Issue 12: the commit path in proportion to the edit: the store's append of
# a split at scale 10 (AppendNext with the edit's city, and Append replaying
# it), a checkpoint's encoding (written in the background), the code
# history's clone, the next version's answer fragments, NextSnapshot.
gobench ./geo/store/bolt 'AppendSplitScale10|CheckpointScale10' 10x
gobench ./geo/edit 'CodeHistoryClone'
gobench ./bulk 'NewAnswersAfterSplit'
gobench ./geo 'NextSnapshotAfterSplit'
# Issue 12: one grid split committed through POST /v1/edits (fsynced,
# warmers off) at scale 10 and 50: the answer's own time and what each
# commit allocates.
gobench ./server 'CommitSplitScale' 20x
# Issue 12: a split's preview (no next city) beside its apply (the next
# city's grid and building lists copied) at scale 10.
gobench ./geo/edit 'PreviewSplitScale10'
# Issue 12: derived views after a commit: search (code and name queries,
# a new index, a patch for one split) and the rebases of the walking
# network, 15-minute coverage and address index on one split (scale 10).
gobench ./geo/search 'SearchCodeScale10|SearchNameScale10|NewScale10|PatchScale10'
gobench ./geo/walk 'RebaseSplitScale10' 20x
gobench ./geo/address 'RebaseSplitScale10' 20x

# Issue 10: readers of a city's own data.
gobench ./geo/ingest/shapefile 'ReadCityGrids'
gobench ./geo/ingest/gpkg 'ReadNC|DecodeBlob'
gobench ./geo/ingest/table 'ReadCSV|ReadXLSX' 3x
gobench ./geo/ingest/osmfile 'ReadDelawarePBF' 3x
# Issue 10: the whole import (noisy Shapefile in EPSG:4544 + GCJ-02 CSV, read, repaired, built; peak RSS).
gobench ./geo/importer 'ImportNoisyShapefile' 1x

# Issue 11: OGC API - Features.
gobench ./server 'OGCBuildingsPaging'
# Issue 11: tile archives (the whole city z8-z16 to PMTiles) and the change feed (commit -> event).
gobench ./tiles/archive 'ExportCityPMTiles' 3x
gobench ./server 'FeedLatency' 50x

# Issue 9: each hand-written wire-format path beside its library baseline.
gobench ./geo/wire 'ScanGeoJSON|CSVRecords|NDJSONLines'
gobench ./tiles 'RenderTileOrbBaseline'

# Issue 10: topology repair, in process and beside mapshaper -clean on the same GeoJSON.
gobench ./geo/repair 'RepairNoisyCity' 3x
bash bench/repair.sh | tee -a out/bench.txt >&2
