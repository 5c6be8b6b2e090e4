from rest_framework.routers import DefaultRouter

from ikm_registry.api import viewsets

router = DefaultRouter()
router.register("ikm-units", viewsets.IKMUnitViewSet, basename="ikm-unit")
router.register("sentra", viewsets.SentraViewSet, basename="sentra")
router.register("ovop-products", viewsets.OVOPProductViewSet, basename="ovop-product")
router.register("regions", viewsets.RegionViewSet, basename="region")
