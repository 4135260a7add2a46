"""What each step of an automation run reports: changed, unchanged, errors, to review."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StepSummary:
    step: str
    changed: int = 0
    unchanged: int = 0
    errors: int = 0
    to_review: int = 0
    letters: int = 0
    messages: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "step": self.step, "changed": self.changed, "unchanged": self.unchanged,
            "errors": self.errors, "to_review": self.to_review, "letters": self.letters,
            "messages": self.messages, "notes": list(self.notes),
        }


def total(steps: list[StepSummary], *, name: str = "total") -> StepSummary:
    summary = StepSummary(step=name)
    for step in steps:
        summary.changed += step.changed
        summary.unchanged += step.unchanged
        summary.errors += step.errors
        summary.to_review += step.to_review
        summary.letters += step.letters
        summary.messages += step.messages
    return summary
