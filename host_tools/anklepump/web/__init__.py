"""`anklepump web`: the caregiver's pages in a browser, over the same library the commands use."""
