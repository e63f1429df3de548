"""Member day (會員日) and birthday gifts (生日禮金)."""
