"""Pipeline stages: each takes the shared Doc and adds one layer of coding."""
