"""The region's begrippenlijst: agreed definitions of terms used in its questions."""
