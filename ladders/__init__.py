"""Career ladders: levels, competencies, expectations, assessments, stretch assignments."""
