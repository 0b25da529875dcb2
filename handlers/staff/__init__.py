"""Staff tools: roles, review, statistics, export and curation of unanswered questions."""
