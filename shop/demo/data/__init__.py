"""The demo shop's content: categories, brands, attributes, products, people.

Everything here is plain data written for a Taiwanese lifestyle shop; the
seeding code in `shop.demo.seeding` turns it into rows.
"""
