"""Stages de récupération de points (issue 19): a road-safety centre
(CSSR) declares its sessions and attendees; closing a session credits each
attendee's licence with 4 points, capped, at most once a year."""
