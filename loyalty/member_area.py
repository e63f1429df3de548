def register_member_area_parts():
    pass
