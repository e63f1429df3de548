"""Background work of the loyalty programme; each task calls a service."""

from loyalty.tasks.emails import *  # noqa: F403
from loyalty.tasks.points import *  # noqa: F403
from loyalty.tasks.tiers import *  # noqa: F403
