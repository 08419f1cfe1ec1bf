print("biocapture")
