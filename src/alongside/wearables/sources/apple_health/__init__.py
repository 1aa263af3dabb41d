"""Apple Health: ``export.zip`` or ``export.xml`` from the Health app (Profile, Export All Health Data)."""
