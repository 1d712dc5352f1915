// Object detection

// Face landmarks

// Text recognition
