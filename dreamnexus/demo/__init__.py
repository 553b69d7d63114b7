"""Demo content: users, spaces and dreams written for the project, loaded by the demo seeding command."""
