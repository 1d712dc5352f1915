// Keyword spotting
