"""Review: the case state machine, the arbiter strategies (standalone or central), reasons and case views."""
