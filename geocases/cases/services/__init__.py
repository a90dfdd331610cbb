"""Writes to cases. Every change goes through one of these and leaves history."""

from geocases.cases.services.attachments import case_attachment_add
from geocases.cases.services.changes import case_assign, case_merge, case_note_add, case_update
from geocases.cases.services.creation import case_create
from geocases.cases.services.desk import case_register_by_phone
from geocases.cases.services.transitions import case_transition

__all__ = [
    "case_assign",
    "case_attachment_add",
    "case_create",
    "case_merge",
    "case_note_add",
    "case_register_by_phone",
    "case_transition",
    "case_update",
]
