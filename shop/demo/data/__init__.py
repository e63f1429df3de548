"""The demo shop's content: categories, brands, attributes, products, people.

Everything here is plain data written for a Taiwanese lifestyle shop; the
seeding code in `shop.demo.services` turns it into rows.
"""
