"""Types the request and response bodies of intake share."""

from pydantic import BaseModel, ConfigDict

from isets_kit.text import plain_text

Location = plain_text(max_length=40)


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)
