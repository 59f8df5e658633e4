"""The offline copy (`offline_copy:`): the whole site as one zip a reader downloads and opens
from disk, declared last and written as it is made."""
