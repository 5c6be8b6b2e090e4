"""The public site: directory of IKM units, sentra, OVOP catalogue and region pages. No login, no personal data."""
