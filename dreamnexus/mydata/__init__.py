"""Data rights: everything held about me, its export, who saw or used my dreams, and erasure."""
