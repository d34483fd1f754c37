"""Package and pipeline versions (the pipeline version goes into every record)."""

__version__ = "0.1.0"
# Bump when a change alters curated output for the same input, so `curate` re-processes.
PIPELINE_VERSION = "0.3.1"
