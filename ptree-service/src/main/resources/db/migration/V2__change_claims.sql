-- Who claimed a change for applying or reverting, and when: a change left in applying/reverting by a
-- crash mid-way is finished or rolled back by the sweeper once it has been there too long.
ALTER TABLE changes
    ADD COLUMN status_at  DATETIME(3)  NULL,
    ADD COLUMN claimed_by VARCHAR(200) NULL;
