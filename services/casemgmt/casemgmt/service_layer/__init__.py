"""casemgmt's handlers, one module per part of the plan; each handler is the one place its transaction
begins and ends. `EVENT_HANDLERS`: every consumed event's handler."""

from casemgmt.service_layer import activities, assessments, customers

EVENT_HANDLERS = {**customers.EVENT_HANDLERS, **activities.EVENT_HANDLERS, **assessments.EVENT_HANDLERS}
