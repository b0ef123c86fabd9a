"""The Feather ESP32-S3's pin names the coach's config uses, as fake pins."""


class Pin:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "board." + self.name


SDA = Pin("SDA")
SCL = Pin("SCL")
D5 = Pin("D5")
D6 = Pin("D6")
