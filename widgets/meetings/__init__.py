"""The meeting screens: wall tiles (agenda item, speaker with timer, vote), the leader's tablet view, the viewer."""
