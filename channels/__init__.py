"""How the assistant reaches people: Telegram, WhatsApp and the console."""
