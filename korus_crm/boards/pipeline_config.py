"""The pipelines and their stages as the Opportunity hooks need them, cached per site and cleared
whenever a pipeline changes (and again when its transaction ends)."""

from __future__ import annotations

from dataclasses import dataclass

import frappe

from korus_crm.rules.pipelines import StageRow, default_stage, lost_stage, ordered, won_stage

CACHE_KEY = "korus_crm:pipeline_config"


@dataclass(frozen=True)
class PipelineConfig:
	name: str
	is_active: bool
	is_default: bool
	order: int
	stages: tuple[StageRow, ...]

	def stage(self, docname: str | None) -> StageRow | None:
		return next((s for s in self.stages if s.docname == docname), None) if docname else None

	def stage_named(self, stage_name: str | None) -> StageRow | None:
		return next((s for s in self.stages if s.name == stage_name), None) if stage_name else None

	@property
	def default_stage(self) -> StageRow | None:
		return default_stage(self.stages)

	@property
	def won_stage(self) -> StageRow | None:
		return won_stage(self.stages)

	@property
	def lost_stage(self) -> StageRow | None:
		return lost_stage(self.stages)


def load_pipelines() -> list[PipelineConfig]:
	pipelines = frappe.get_all(
		"Deal Pipeline",
		fields=["name", "is_active", "is_default", "display_order"],
		order_by="display_order asc, name asc",
	)
	stages = frappe.get_all(
		"Deal Stage",
		fields=[
			"name",
			"pipeline",
			"stage_name",
			"is_default",
			"is_won",
			"is_lost",
			"probability",
			"color",
			"display_order",
			"idle_days",
		],
	)
	by_pipeline: dict[str, list[StageRow]] = {}
	for s in stages:
		by_pipeline.setdefault(s.pipeline, []).append(
			StageRow(
				name=s.stage_name,
				is_default=bool(s.is_default),
				is_won=bool(s.is_won),
				is_lost=bool(s.is_lost),
				probability=s.probability,
				color=s.color,
				order=s.display_order or 0,
				docname=s.name,
				idle_days=s.idle_days or None,
			)
		)
	return [
		PipelineConfig(
			p.name,
			bool(p.is_active),
			bool(p.is_default),
			p.display_order or 0,
			tuple(ordered(by_pipeline.get(p.name, []))),
		)
		for p in pipelines
	]


def _serialize() -> list[dict]:
	return [{**p.__dict__, "stages": [s.__dict__ for s in p.stages]} for p in load_pipelines()]


def get_pipelines() -> list[PipelineConfig]:
	rows = frappe.cache.get_value(CACHE_KEY, generator=_serialize)
	return [PipelineConfig(**{**r, "stages": tuple(StageRow(**s) for s in r["stages"])}) for r in rows]


def get_pipeline(name: str | None) -> PipelineConfig | None:
	return next((p for p in get_pipelines() if p.name == name), None) if name else None


def get_default_pipeline() -> PipelineConfig | None:
	pipelines = get_pipelines()
	return next((p for p in pipelines if p.is_default), None) or next(
		(p for p in pipelines if p.is_active), None
	)


def clear_pipeline_cache() -> None:
	frappe.cache.delete_value(CACHE_KEY)
	frappe.db.after_commit.add(_delete_cached)
	frappe.db.after_rollback.add(_delete_cached)


def _delete_cached() -> None:
	frappe.cache.delete_value(CACHE_KEY)
