// Peers benchmark: written in the performance issue.
export {}
