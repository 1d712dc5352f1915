// Language identification

// Translation
