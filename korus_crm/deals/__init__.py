"""Deals (ERPNext's Opportunity) in pipelines: entering a stage (stages.py) and the records derived
from a pipeline's stages (mirrors.py). docs/pipelines.md says which record is the source."""
