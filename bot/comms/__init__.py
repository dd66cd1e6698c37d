"""The communications plan: phases of the go-live, scheduled announcements and their live figures."""
