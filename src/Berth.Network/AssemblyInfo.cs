// Berth.Network: see the project's Description. Nothing here knows HTTP or containers.
