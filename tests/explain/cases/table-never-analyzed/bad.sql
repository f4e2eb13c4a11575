SELECT * FROM never_analyzed WHERE id = 7;
