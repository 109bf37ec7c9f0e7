"""The official-data pipeline: publishers' files in, a checked snapshot folder out.

`python -m lib.pipeline build --source DIR --out DIR` and
`python -m lib.pipeline download --from YYYY-MM --to YYYY-MM --dest DIR`.
"""
