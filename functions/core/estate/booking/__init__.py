"""Hall appointments: slots, captcha, booking, proof, cancel, reminders, quotas and no-shows."""
