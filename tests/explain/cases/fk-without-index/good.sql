SELECT * FROM fk_child WHERE parent_id = 1;
