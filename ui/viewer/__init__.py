"""Looking at uploaded images: viewer, attachment strip, off-thread image loading."""
