"""An institution's generated reports (PDF), built by the workers."""
