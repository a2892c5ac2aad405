"""The fishing-vessel map (offline Leaflet in QtWebEngine), its fleet model, and the vessel tiles."""
