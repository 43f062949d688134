import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jamsos.demo.population import demo_population_build
from jamsos.membership.models import Membership, Person


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def population(regions):
    demo_population_build(workers=60, seed=2, progress=False)


@pytest.mark.parametrize(
    "model",
    [
        "person",
        "employer",
        "membership",
        "wagereport",
        "membershipevent",
        "branchoffice",
        "association",
        "constructionproject",
        "placement",
        "identifiersequence",
        "demopopulation",
    ],
)
def test_every_list_renders(admin_client, population, model):
    response = admin_client.get(reverse(f"admin:membership_{model}_changelist"))
    assert response.status_code == 200


def test_person_list_masks_nik_and_phone(admin_client, population):
    person = Person.objects.exclude(phone=None).first()
    response = admin_client.get(reverse("admin:membership_person_changelist"))
    body = response.content.decode()
    assert person.nik[:4] + "********" + person.nik[-4:] in body
    assert person.nik not in body
    assert person.phone not in body


def test_search_by_nik_kpj_and_name(admin_client, population):
    membership = Membership.objects.select_related("person").first()
    url = reverse("admin:membership_person_changelist")
    for query in (membership.person.nik, membership.kpj, membership.person.name.split()[0]):
        body = admin_client.get(url, {"q": query}).content.decode()
        assert membership.person.name in body, query
    url = reverse("admin:membership_membership_changelist")
    assert membership.kpj in admin_client.get(url, {"q": membership.kpj}).content.decode()


def test_history_is_read_only(admin_client, population):
    membership = Membership.objects.first()
    page = admin_client.get(reverse("admin:membership_membership_change", args=[membership.pk]))
    assert page.status_code == 200
    assert admin_client.get(reverse("admin:membership_person_add")).status_code == 403
