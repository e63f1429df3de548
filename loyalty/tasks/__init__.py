"""Background work of the loyalty programme; each task calls a service."""

from loyalty.tasks.credit import *  # noqa: F403
from loyalty.tasks.emails import *  # noqa: F403
from loyalty.tasks.plans import *  # noqa: F403
from loyalty.tasks.points import *  # noqa: F403
from loyalty.tasks.privileges import *  # noqa: F403
from loyalty.tasks.tiers import *  # noqa: F403
