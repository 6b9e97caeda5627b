"""Imports every table so `metadata` is complete (Alembic, tests)."""

from chefmentor.audit.models import AuditLog
from chefmentor.auth.models import DemoSession, RefreshToken, User
from chefmentor.cooking.models import CookingSession, CookingStepEvent
from chefmentor.db.base import metadata
from chefmentor.failure.models import AnalysisNote, FailureAnalysis
from chefmentor.profile.models import UserProfile
from chefmentor.recipes.models import Recipe, RecipeStep

__all__ = [
    "AnalysisNote",
    "AuditLog",
    "CookingSession",
    "CookingStepEvent",
    "DemoSession",
    "FailureAnalysis",
    "Recipe",
    "RecipeStep",
    "RefreshToken",
    "User",
    "UserProfile",
    "metadata",
]
