"""The pieces of the Dask runner (`warta.pipeline_dask`).

- `tasks`: sources split into tasks (one per file, stripes of records for datasets, blocks of
  in-memory documents) and the task itself: read + understand + MinHash on a worker, one Parquet
  shard per task.
- `neardup`: global near-duplicate candidates: band keys shuffled across workers (band key ->
  candidate pairs -> similarity), and the index adapter that feeds them to the group stage.
- `progress`: the rich progress display (tasks, articles/s, failures, retries).

Nothing here imports the store or the web; the runner composes them with `warta.pipeline.Pipeline`.
"""
