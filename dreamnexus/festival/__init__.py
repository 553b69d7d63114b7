"""The Dream Festival: a live event in a space where many people weave one dream at once."""
