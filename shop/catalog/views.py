# Placeholder views: replaced by the storefront work.
from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "catalog/home.html", {})


def product_list(request):
    return render(request, "catalog/home.html", {})


def category(request, slug):
    raise Http404


def product_detail(request, slug):
    raise Http404


def search(request):
    return render(request, "catalog/home.html", {})


def sitemap_xml(request):
    raise Http404
