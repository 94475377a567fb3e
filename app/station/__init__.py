"""The school door station: checking printed slips with a scanner gun (issue 19).

* :mod:`app.station.keyring` — the district public key files and the offline check;
* :mod:`app.station.verdicts` — green / red / amber and why, in plain Chinese (pure);
* :mod:`app.station.scanlog` — the station's own small SQLite file: settings, keys, scans;
* :mod:`app.station.station` — the facade the window and ``reviewdesk station`` use;
* :mod:`app.station.export` — a day's scans as .xlsx or .csv.

See docs/station.md.
"""
