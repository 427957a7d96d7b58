-- Staff who hold a role on a structure rather than a school (inspectors, advisers, municipality staff) have no
-- school profile, so the users policy hid them from the schools they serve: a director could not see who from the
-- town hall wrote to them, and municipality staff could not find their inspector (2.1.2). These functions answer
-- from the structure graph, which the app role cannot read row by row (structure roles are own rows).

-- Schools' structures and all their ancestors, for the schools the current scope reaches.
CREATE FUNCTION preau_structures_above(uais text[]) RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public AS $$
  WITH RECURSIVE up(id) AS (
    SELECT structure_id FROM school_structures WHERE uai = ANY (uais)
    UNION SELECT p.parent_id FROM structure_parents p JOIN up ON p.structure_id = up.id)
  SELECT id FROM up
$$;
--> statement-breakpoint
-- Whether a user holds a structure role above one of the schools in scope (their name may then be shown there).
CREATE FUNCTION preau_serves_scope(uid uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public COST 1000 AS $$
  SELECT EXISTS (SELECT 1 FROM structure_roles r
    WHERE r.user_id = uid AND r.structure_id IN (SELECT preau_structures_above(preau_allowed_uais())))
$$;
--> statement-breakpoint
-- The inspectors of a school's circonscription (or any structure above it), for a school the scope reaches.
CREATE FUNCTION preau_school_inspectors(school text) RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public AS $$
  SELECT DISTINCT r.user_id FROM structure_roles r
  WHERE r.role = 'inspector' AND (preau_all_schools() OR school = ANY (preau_allowed_uais()))
    AND r.structure_id IN (SELECT preau_structures_above(ARRAY[school]))
$$;
--> statement-breakpoint
DROP POLICY users_visible ON users;
--> statement-breakpoint
CREATE POLICY users_visible ON users
  USING (preau_all_schools() OR id = preau_current_user()
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id)
         OR preau_serves_scope(id))
  WITH CHECK (preau_all_schools() OR id = preau_current_user()
         OR EXISTS (SELECT 1 FROM school_profiles p WHERE p.user_id = users.id));
