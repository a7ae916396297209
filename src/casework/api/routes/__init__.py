"""One router per area; each route declares its action with ``**requires(Action.X)``."""
