from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "jamsos.calculator"
    label = "calculator"
    verbose_name = "Kalkulator / Calculators"
