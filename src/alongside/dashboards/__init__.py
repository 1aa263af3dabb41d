"""Composition pages that read several domain apps: the caseload, the client record, the session brief."""
